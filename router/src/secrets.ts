import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";

export type EmbeddedSecrets = { whatsappAppSecret: string; whatsappVerifyToken: string; demoPassword: string; secretKey: string; simulatorAccessToken: string; reportsServiceToken: string };

/** The embedded mode makes its own secrets on first start (and any added later) and keeps them in its data directory. */
export async function loadOrCreateSecrets(dataDir: string): Promise<EmbeddedSecrets> {
  const file = path.join(dataDir, "secrets.json");
  const existing = existsSync(file) ? (JSON.parse(await readFile(file, "utf8")) as Partial<EmbeddedSecrets>) : {};
  const secrets: EmbeddedSecrets = {
    whatsappAppSecret: randomBytes(32).toString("hex"),
    whatsappVerifyToken: randomBytes(16).toString("hex"),
    demoPassword: `demo-${randomBytes(4).toString("hex")}`,
    secretKey: randomBytes(32).toString("hex"),
    simulatorAccessToken: `EAAsim${randomBytes(24).toString("base64url")}`,
    reportsServiceToken: `crs_${randomBytes(32).toString("base64url")}`,
    ...existing,
  };
  if (Object.keys(existing).length === Object.keys(secrets).length) return secrets;
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
