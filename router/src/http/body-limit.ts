import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";

/**
 * Refuses bodies over `maxSize` bytes (413, `payload_too_large`). A request that declares its length (Meta's
 * webhooks, browsers, our clients) is judged by its header alone, so the route reads the body straight from
 * the socket; hono's `bodyLimit` would first wrap the request in a web Request and stream, on every call.
 * A chunked request, whose length is unknown upfront, is counted as it streams by `bodyLimit`.
 */
export function limitBody(maxSize: number): MiddlewareHandler {
  const tooLarge = () => {
    throw new HTTPException(413, { message: `The body is larger than ${maxSize} bytes` });
  };
  const streamed = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const declared = c.req.header("content-length");
    if (declared === undefined || c.req.header("transfer-encoding") !== undefined) return streamed(c, next);
    if (!/^\d+$/.test(declared)) throw new HTTPException(400, { message: "Content-Length is not a number" });
    if (Number(declared) > maxSize) tooLarge();
    await next();
  };
}
