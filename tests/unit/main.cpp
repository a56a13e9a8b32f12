// Catch2 v2 builds its runner here; with v3 the build links Catch2::Catch2WithMain instead.
#define CATCH_CONFIG_MAIN
#include "tests/unit/catch.h"
