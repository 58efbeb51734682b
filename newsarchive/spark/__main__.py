"""``python -m newsarchive.spark ...``: the job in a local Spark (pip-installed pyspark)."""

import sys

from newsarchive.spark.job import main

sys.exit(main())
