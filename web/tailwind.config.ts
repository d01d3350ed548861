import type { Config } from "tailwindcss";

export default {
  content: ["./app/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        wa: { bg: "#efeae2", out: "#d9fdd3", tick: "#53bdeb", brand: "#008069", dark: "#005c4b" },
      },
    },
  },
  plugins: [],
} satisfies Config;
