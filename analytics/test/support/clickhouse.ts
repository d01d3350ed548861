export { tempClickHouse } from "../../../ingest/test/support/clickhouse.js";
