import { describe, expect, it } from "vitest";
import { createOffsetTracker } from "./offset-tracker.js";

function tracker() {
  const commits: string[] = [];
  const seeks: string[] = [];
  const offsets = createOffsetTracker({
    commit: async (topic, partition, offset) => { commits.push(`${partition}@${offset}`); },
    seek: (topic, partition, offset) => { seeks.push(`${partition}@${offset}`); },
  });
  return { offsets, commits, seeks };
}

describe("the offset tracker", () => {
  it("commits a partition up to a batch's end only when that batch's insert is acknowledged", async () => {
    const { offsets, commits } = tracker();
    const a = offsets.handedIn("t", 0, "0", "9");
    const b = offsets.handedIn("t", 0, "10", "19");
    expect(commits).toEqual([]);
    await offsets.acknowledged(a);
    await offsets.acknowledged(b);
    expect(commits).toEqual(["0@10", "0@20"]);
  });

  it("after a failed insert, rewinds each partition to its earliest batch in flight and ignores older acknowledgements", async () => {
    const { offsets, commits, seeks } = tracker();
    const done = offsets.handedIn("t", 0, "0", "9");
    await offsets.acknowledged(done);
    const lost = offsets.handedIn("t", 0, "10", "19");
    const later = offsets.handedIn("t", 0, "20", "29");
    const other = offsets.handedIn("t", 1, "5", "7");
    offsets.failed();
    expect(seeks).toEqual(["0@10", "1@5"]);
    await offsets.acknowledged(later);
    await offsets.acknowledged(other);
    expect(commits).toEqual(["0@10"]);
    void lost;
    const again = offsets.handedIn("t", 0, "10", "19");
    await offsets.acknowledged(again);
    expect(commits).toEqual(["0@10", "0@20"]);
  });
});
