import type { LoaderFunctionArgs } from "@remix-run/node";
import { webConfig } from "../lib/config.server";
import { RouterError, routerClient } from "../lib/router.server";
import { getSession, routerToken } from "../lib/session.server";
import { relayFrames } from "../lib/sse";

/**
 * The browser's live feed: the router's event stream for the signed-in agent, read with the session's token
 * (which the browser never sees) and passed through as it arrives. The browser's EventSource reconnects when
 * this ends; the router closes streams periodically so a revoked session stops here too.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await getSession(request, context);
  const token = routerToken(session, context);
  if (!token) return new Response("sign in first", { status: 401 });
  try {
    const upstream = await routerClient(webConfig(context).routerUrl, token).stream(request.signal);
    return new Response(relayFrames(upstream.body!), {
      headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no" },
    });
  } catch (error) {
    if (error instanceof RouterError) return new Response(error.body.code, { status: error.status === 401 ? 401 : 502 });
    if (request.signal.aborted) return new Response(null, { status: 499 });
    throw error;
  }
}
