import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { AdminRefusal } from "../components/admin/AdminRefusal";
import { AdminShell } from "../components/admin/AdminShell";
import { requireAdminArea } from "../lib/admin.server";
import { useRootData } from "../lib/use-i18n";

export const meta: MetaFunction = () => [{ title: "Centralita" }];

/** The admin area: admins and (read-only) supervisors; an agent gets a 403 page that says why. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { agent } = await requireAdminArea(request, context);
  return json({ role: agent.role });
}

export default function AdminLayout() {
  const { role } = useLoaderData<typeof loader>();
  return <AdminShell role={role}><Outlet /></AdminShell>;
}

export function ErrorBoundary() {
  const role = useRootData()?.agent?.role ?? "agent";
  return role === "agent" ? <div className="p-4"><AdminRefusal /></div> : <AdminShell role={role}><AdminRefusal /></AdminShell>;
}
