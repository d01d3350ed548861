import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";

export type EmbeddedSecrets = { whatsappAppSecret: string; whatsappVerifyToken: string; demoPassword: string };

/** The embedded mode makes its own secrets on first start and keeps them in its data directory. */
export async function loadOrCreateSecrets(dataDir: string): Promise<EmbeddedSecrets> {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(await readFile(file, "utf8")) as EmbeddedSecrets;
  const secrets: EmbeddedSecrets = {
    whatsappAppSecret: randomBytes(32).toString("hex"),
    whatsappVerifyToken: randomBytes(16).toString("hex"),
    demoPassword: `demo-${randomBytes(4).toString("hex")}`,
  };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
