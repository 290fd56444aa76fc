#!/usr/bin/env python3
"""The naive import issue 7 measures lokus against: pandas reads the workbook with the calamine
engine, psycopg COPYs every row into a plain table (no indexes, no checks, no comparison with the
current workplan, no desa links). `lokus bench import` times it in the same run when python3 has
pandas, python-calamine and psycopg (pip install pandas python-calamine "psycopg[binary]").

Usage: naive_import.py WORKBOOK.xlsx POSTGRES_URL
"""

import sys
import time

import pandas as pd
import psycopg


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, url = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    frame = pd.read_excel(path, engine="calamine")
    # empty cells come back as NaN; the database wants NULL
    frame = frame.astype(object).where(frame.notna(), None)
    read = time.perf_counter() - started
    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS naive_budget_line")
        columns = ", ".join(f'"c{index}" text' for index in range(len(frame.columns)))
        conn.execute(f"CREATE TABLE naive_budget_line ({columns})")
        with conn.cursor().copy("COPY naive_budget_line FROM STDIN") as copy:
            for row in frame.itertuples(index=False, name=None):
                copy.write_row(row)
    total = time.perf_counter() - started
    print(f"naive import: {len(frame)} rows, read {read:.2f} s, total {total:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
