export type { ComputeStatsInput } from './compute-stats.ts';
export { ACTIVE_WINDOW_MS, computeStats } from './compute-stats.ts';
export { topCountRows, topJsErrors, topLimit } from './ranking.ts';
export type { SeriesLayout } from './series-layout.ts';
export { defaultBucketMs, seriesLayout } from './series-layout.ts';
export { statsFromQuery } from './stats-from-query.ts';
