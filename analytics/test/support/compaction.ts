/** An instant `seconds` ahead of the clock: a compaction run's `now` with no safety margin, as the tests take it. */
export const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

/**
 * Waits until a run's watermark (ahead of the clock: runs here take `later(…)` with no safety margin) is past, so
 * events loaded next are touched after it, as they would be in the product. Loaded sooner, they count as compacted.
 */
export const pastWatermark = async (run: { watermark: Date }) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, run.watermark.getTime() - Date.now() + 20)));
