import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { openSync, closeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";

export type MockKafka = { brokers: string[]; stop: () => Promise<void> };

/**
 * A real Kafka-protocol broker on loopback: librdkafka's mock cluster inside Debian's kcat, kept alive by a
 * FIFO on its stdin (closing the FIFO stops it). Topics auto-create with 4 partitions.
 */
export async function startMockKafka(): Promise<MockKafka> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "centralita-kafka-"));
  const fifo = path.join(dir, "stdin");
  execFileSync("mkfifo", [fifo]);
  const child = spawn("sh", ["-c", `exec kcat -P -b localhost:1 -t warmup -X test.mock.num.brokers=1 -d mock < "${fifo}"`], { stdio: ["ignore", "ignore", "pipe"] });
  // Opening the FIFO for writing unblocks kcat's stdin; holding it open keeps the broker alive.
  const writer = openSync(fifo, "w");
  const address = await new Promise<string>((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`mock kafka did not start: ${log.slice(-500)}`)), 15_000);
    child.stderr.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      const match = /bootstrap\.servers=([\d.]+:\d+)/.exec(log);
      if (match) { clearTimeout(timer); resolve(match[1]!); }
    });
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`kcat exited ${code}: ${log.slice(-500)}`)); });
  });
  child.stderr.removeAllListeners("data");
  child.stderr.resume();
  return {
    brokers: [address],
    async stop() {
      closeSync(writer);
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => { child.kill("SIGKILL"); }, 3000);
        child.once("exit", () => { clearTimeout(timer); resolve(); });
      });
      await rm(dir, { recursive: true, force: true });
    },
  };
}
