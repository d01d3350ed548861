import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportConversations } from "../lib/reports-export.server";

/** One row per conversation cycle of the range, as XLSX (dashboard filters in the query string). */
export const loader = ({ request, context }: LoaderFunctionArgs) => exportConversations(request, context, "xlsx");
