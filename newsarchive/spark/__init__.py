"""newsarchive as an Apache Spark job (the ``spark`` extra: ``pip install newsarchive[spark]``).

``job.run(spark, inputs, output, config, fmt)`` runs it; ``job.main`` is the entry point of
``spark-submit newsarchive/spark/job.py`` and ``python -m newsarchive.spark``. Nothing here is
imported by the rest of newsarchive, and pyspark is imported only inside the job's functions.
"""
