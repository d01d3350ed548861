import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportReport } from "../lib/reports-export.server";

/** The report builder's table as XLSX (metrics, breakdown and filters in the query string). */
export const loader = ({ request, context }: LoaderFunctionArgs) => exportReport(request, context, "xlsx");
