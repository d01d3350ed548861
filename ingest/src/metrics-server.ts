import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

/** Serves the registry as Prometheus text on GET /metrics (and a liveness answer on /health). */
export async function serveMetrics(registry: Registry, host: string, port: number) {
  const server = http.createServer((req, res) => {
    if (req.url === "/metrics") {
      registry.metrics().then(
        (text) => { res.writeHead(200, { "content-type": registry.contentType }); res.end(text); },
        (error) => { res.writeHead(500); res.end(String(error)); },
      );
    } else if (req.url === "/health") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
