import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportDashboard } from "../lib/reports-export.server";

/** The dashboard's panels as XLSX: same filters and zone as the page (its query string). */
export const loader = ({ request, context, params }: LoaderFunctionArgs) => exportDashboard(request, context, params.id ?? "", "xlsx");
