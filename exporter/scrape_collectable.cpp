#include "exporter/scrape_collectable.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>

#include "exporter/metric_builder.h"

namespace silicon {

ScrapeCollectable::ScrapeCollectable(std::vector<NamedCollector> collectors)
    : collectors_(std::move(collectors)), last_outcome_(collectors_.size(), Outcome::kNotRun) {}

std::vector<std::string> ScrapeCollectable::Names() const {
  std::vector<std::string> names;
  for (const auto& entry : collectors_) names.push_back(entry.name);
  return names;
}

std::vector<prometheus::MetricFamily> ScrapeCollectable::Collect() const {
  const std::lock_guard lock(mutex_);
  auto duration = GaugeFamily("silicon_scrape_collector_duration_seconds",
                              "Time each collector took in this scrape.");
  auto success = GaugeFamily("silicon_scrape_collector_success",
                             "1 when the collector worked (or found no source to read), 0 when it failed.");
  std::vector<prometheus::MetricFamily> out;

  for (std::size_t i = 0; i < collectors_.size(); ++i) {
    const auto& [name, collector] = collectors_[i];
    const auto start = std::chrono::steady_clock::now();
    Outcome outcome = Outcome::kOk;
    std::string reason;
    try {
      auto families = collector->Collect();
      for (auto& family : families) out.push_back(std::move(family));
    } catch (const NoDataError& error) {
      outcome = Outcome::kNoData;
      reason = error.what();
    } catch (const std::exception& error) {
      outcome = Outcome::kFailed;
      reason = error.what();
    } catch (...) {
      outcome = Outcome::kFailed;
      reason = "unknown exception";
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;

    if (outcome != last_outcome_[i]) {
      if (outcome == Outcome::kFailed) {
        spdlog::error("collector failed collector={} err=\"{}\"", name, reason);
      } else if (outcome == Outcome::kNoData) {
        spdlog::debug("collector has no data collector={} reason=\"{}\"", name, reason);
      } else if (last_outcome_[i] == Outcome::kFailed) {
        spdlog::info("collector recovered collector={}", name);
      }
      last_outcome_[i] = outcome;
    }
    AddSample(duration, took.count(), {{"collector", name}});
    AddSample(success, outcome == Outcome::kFailed ? 0 : 1, {{"collector", name}});
  }
  out.push_back(std::move(duration));
  out.push_back(std::move(success));
  return out;
}

}  // namespace silicon
