/** Reports strings: Spanish (es-419, the default) and English. Every key must exist in both (the type checks it). */
export const reportsEs = {
} as const satisfies Record<string, string>;

export const reportsEn: Record<keyof typeof reportsEs, string> = {
};
