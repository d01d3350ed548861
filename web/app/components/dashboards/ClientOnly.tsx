import { useEffect, useState } from "react";

/**
 * Charts measure the browser's layout, which the server does not have: the server sends a placeholder of the same
 * height and the chart draws once the page is live.
 */
export function ClientOnly({ children, height = "h-56" }: { children: () => React.ReactNode; height?: string }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted ? <>{children()}</> : <div className={`mt-2 ${height} animate-pulse rounded bg-slate-100`} aria-hidden />;
}
