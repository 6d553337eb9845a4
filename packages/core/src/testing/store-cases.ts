import { capabilityCases } from './cases-capabilities.ts';
import { fieldCases } from './cases-fields.ts';
import { filterCases } from './cases-filters.ts';
import { knownEventsCases } from './cases-known-events.ts';
import { queryCases } from './cases-query.ts';
import { statsCases } from './cases-stats.ts';
import { statsFieldCases } from './cases-stats-fields.ts';
import { statsMonitorCases } from './cases-stats-monitor.ts';
import { statsMonitorEdgeCases } from './cases-stats-monitor-edges.ts';
import { writeCases } from './cases-writes.ts';
import type { StoreCase } from './harness.ts';

/**
 * Every conformance case, in the order they run. Plain async functions so that `describeStore`
 * can wrap each in `it` and `runStoreChecks` (and the suite's own tests) can run them directly.
 */
export function storeCases(): StoreCase[] {
  return [
    ...queryCases,
    ...fieldCases,
    ...filterCases,
    ...writeCases,
    ...statsCases,
    ...statsFieldCases,
    ...statsMonitorCases,
    ...statsMonitorEdgeCases,
    ...capabilityCases,
    ...knownEventsCases,
  ];
}
