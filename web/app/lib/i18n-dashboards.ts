/** Dashboards strings: Spanish (es-419, the default) and English. Every key must exist in both (the type checks it). */
export const dashboardsEs = {
} as const satisfies Record<string, string>;

export const dashboardsEn: Record<keyof typeof dashboardsEs, string> = {
};
