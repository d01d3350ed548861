import type { Config } from "tailwindcss";
import colors from "tailwindcss/colors";

/** Tremor draws its charts with `fill-{color}-500`-style classes built at run time, so the palette is kept whole. */
const chartColors = ["emerald", "sky", "amber", "rose", "violet", "slate", "teal", "orange", "indigo", "lime", "fuchsia", "cyan"];
const shades = ["50", "100", "200", "300", "400", "500", "600", "700", "800", "900", "950"];

export default {
  content: ["./app/**/*.{ts,tsx}", "../node_modules/@tremor/**/*.{js,ts,jsx,tsx}"],
  theme: {
    transparent: "transparent",
    current: "currentColor",
    extend: {
      colors: {
        wa: { bg: "#efeae2", out: "#d9fdd3", tick: "#53bdeb", brand: "#008069", dark: "#005c4b" },
        tremor: {
          brand: { faint: colors.emerald[50], muted: colors.emerald[200], subtle: colors.emerald[400], DEFAULT: "#008069", emphasis: "#005c4b", inverted: colors.white },
          background: { muted: colors.slate[50], subtle: colors.slate[100], DEFAULT: colors.white, emphasis: colors.slate[700] },
          border: { DEFAULT: colors.slate[200] },
          ring: { DEFAULT: colors.slate[200] },
          content: { subtle: colors.slate[400], DEFAULT: colors.slate[500], emphasis: colors.slate[700], strong: colors.slate[900], inverted: colors.white },
        },
      },
      boxShadow: {
        "tremor-input": "0 1px 2px 0 rgb(0 0 0 / 0.05)",
        "tremor-card": "0 1px 3px 0 rgb(0 0 0 / 0.1), 0 1px 2px -1px rgb(0 0 0 / 0.1)",
        "tremor-dropdown": "0 4px 6px -1px rgb(0 0 0 / 0.1), 0 2px 4px -2px rgb(0 0 0 / 0.1)",
      },
      borderRadius: { "tremor-small": "0.375rem", "tremor-default": "0.5rem", "tremor-full": "9999px" },
      fontSize: {
        "tremor-label": ["0.75rem", { lineHeight: "1rem" }],
        "tremor-default": ["0.875rem", { lineHeight: "1.25rem" }],
        "tremor-title": ["1.125rem", { lineHeight: "1.75rem" }],
        "tremor-metric": ["1.875rem", { lineHeight: "2.25rem" }],
      },
    },
  },
  safelist: ["bg", "text", "border", "ring", "stroke", "fill"].flatMap((prefix) =>
    chartColors.flatMap((color) => shades.map((shade) => `${prefix}-${color}-${shade}`)).concat(
      prefix === "bg" || prefix === "text" ? chartColors.flatMap((c) => shades.map((s) => `hover:${prefix}-${c}-${s}`)) : [],
    )),
  plugins: [],
} satisfies Config;
