import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

/** The live operations board is where a supervisor's day starts. */
export function loader({ request }: LoaderFunctionArgs) {
  return redirect(`/dashboards/live_operations${new URL(request.url).search}`);
}
