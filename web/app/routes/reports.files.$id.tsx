import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadReportFile } from "../lib/reports.server";

/** A scheduled report's file, for a manager of its schedule. */
export const loader = ({ request, context, params }: LoaderFunctionArgs) => downloadReportFile(request, context, params.id ?? "");
