"""Batch processing of large corpora on Dask: inputs and deduplication in the driver, shards on workers.

``quotegraph batch`` reads files, JSONL(.gz) and WARC(.gz) archives, drops exact and near duplicates
(recording them as copies of the article that is processed), cuts the rest into shards, runs the
pipeline on each shard on a Dask worker and writes Parquet; ``quotegraph load`` puts the shards in a
database.
"""

DEFAULT_SHARD_SIZE = 500

# Dask starts its workers with MALLOC_TRIM_THRESHOLD_=65536, which also pins glibc's mmap threshold
# at 128 KiB, so the arrays of every parse batch are mapped and unmapped page by page: the parse ran
# 10-40% slower that way here (benchmarks/SCALE.md). Local workers keep glibc's adaptive thresholds.
LOCAL_WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
