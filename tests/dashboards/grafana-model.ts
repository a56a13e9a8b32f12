// The dashboard model Grafana publishes in @grafana/schema (its classic JSON model, the one file
// provisioning and the import screen read), narrowed for a dashboard file:
// - every panel's `type` is one of Grafana's built-in panels, and its `options` and
//   `fieldConfig.defaults.custom` are that panel's own published types (the package gives only
//   Record<string, unknown> there), so an option that panel does not have is an error;
// - every query is a Prometheus query (the fields of Grafana's Prometheus data source query model,
//   public/app/plugins/datasource/prometheus/dataquery.cue, which @grafana/schema does not ship);
// - JSON has no enums: where the schema uses a TypeScript enum, the enum's values are accepted.
// check.mjs type-checks each dashboard file as a `Board` literal with this file.
import type * as schema from '@grafana/schema';
import type * as barGauge from '@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen';
import type * as stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type * as stateTimeline from '@grafana/schema/dist/esm/raw/composable/statetimeline/panelcfg/x/StateTimelinePanelCfg_types.gen';
import type * as statusHistory from '@grafana/schema/dist/esm/raw/composable/statushistory/panelcfg/x/StatusHistoryPanelCfg_types.gen';
import type * as table from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type * as timeSeries from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

/** A string enum accepted as its values ("normal" for StackingMode.Normal); numbers stay numbers. */
type Json<T> = T extends string
  ? `${T}`
  : T extends number | boolean | null | undefined
    ? T
    : T extends Array<infer U>
      ? Array<Json<U>>
      : T extends object
        ? { [K in keyof T]: Json<T[K]> }
        : T;

/** Grafana fills what a panel leaves out from the plugin's defaults, so every option may be left out. */
type Partial_<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends Array<infer U>
    ? Array<Partial_<U>>
    : T extends object
      ? { [K in keyof T]?: Partial_<T[K]> }
      : T;

/** A query of Grafana's Prometheus data source. */
interface PrometheusQuery {
  datasource: schema.DataSourceRef;
  refId: string;
  expr: string;
  legendFormat?: string;
  format?: 'time_series' | 'table' | 'heatmap';
  instant?: boolean;
  range?: boolean;
  interval?: string;
  intervalFactor?: number;
  exemplar?: boolean;
  editorMode?: 'code' | 'builder';
  hide?: boolean;
}

type FieldConfigSource<Custom> = Omit<schema.FieldConfigSource, 'defaults'> & {
  defaults: Omit<schema.FieldConfig, 'custom'> & { custom?: Partial_<Custom> };
};

type PanelOf<Type extends string, Options, Custom> = Omit<schema.Panel, 'type' | 'options' | 'fieldConfig' | 'targets'> & {
  type: Type;
  options?: Partial_<Options>;
  fieldConfig?: FieldConfigSource<Custom>;
  targets?: PrometheusQuery[];
};

/** Custom field config of a panel that has none. */
type NoCustom = Record<string, never>;

/** The built-in panels these dashboards may use, each with its published options. */
export type KnownPanel =
  | PanelOf<'timeseries', timeSeries.Options, timeSeries.FieldConfig>
  | PanelOf<'stat', stat.Options, NoCustom>
  | PanelOf<'bargauge', barGauge.Options, NoCustom>
  | PanelOf<'table', table.Options, table.FieldConfig>
  | PanelOf<'state-timeline', stateTimeline.Options, stateTimeline.FieldConfig>
  | PanelOf<'status-history', statusHistory.Options, statusHistory.FieldConfig>;

type Row = Omit<schema.RowPanel, 'panels'> & { panels: KnownPanel[] };

/** A whole dashboard file. */
export type Board = Json<Omit<schema.Dashboard, 'panels'> & { panels: Array<KnownPanel | Row> }>;
