"""Batch processing of large corpora on Dask: inputs and deduplication in the driver, shards on workers.

``quotegraph batch`` reads files, JSONL(.gz) and WARC(.gz) archives, drops exact and near duplicates
(recording them as copies of the article that is processed), cuts the rest into shards, runs the
pipeline on each shard on a Dask worker and writes Parquet; ``quotegraph load`` puts the shards in a
database.
"""

DEFAULT_SHARD_SIZE = 500
