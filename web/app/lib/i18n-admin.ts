/** Admin strings: Spanish (es-419, the default) and English. Every key must exist in both (the type checks it). */
export const adminEs = {
} as const satisfies Record<string, string>;

export const adminEn: Record<keyof typeof adminEs, string> = {
};
