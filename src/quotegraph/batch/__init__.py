"""Batch processing of large corpora on Dask: inputs and deduplication in the driver, shards on workers.

``quotegraph batch`` reads files, JSONL(.gz) and WARC(.gz) archives, drops exact and near duplicates
(recording them as copies of the article that is processed), cuts the rest into shards, runs the
pipeline on each shard on a Dask worker and writes Parquet; ``quotegraph load`` puts the shards in a
database.
"""

DEFAULT_SHARD_SIZE = 500

# Dask settings for the local cluster, tuned for a few long CPU-bound tasks (benchmarks/SCALE.md):
# - Dask starts its workers with MALLOC_TRIM_THRESHOLD_=65536, which also pins glibc's mmap threshold
#   at 128 KiB, so the arrays of every parse batch are mapped and unmapped page by page: the parse ran
#   10-40% slower that way here. Local workers keep glibc's adaptive thresholds.
# - The statistical profiler samples each worker's stack 100 times a second, which cost 3-5% of a
#   shard's time; the dashboard keeps its task stream and progress, without the profile page.
# - A shard takes a minute: the scheduler hands one to each free worker rather than queueing a second
#   one on a busy worker (saturation 1.1 lets each single-threaded worker hold two) while another idles.
LOCAL_WORKER_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
    "distributed.scheduler.worker-saturation": 1.0,
}
