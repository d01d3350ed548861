import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "../router/src/db/schema/*.ts",
  out: "./postgres",
});
