"""gunicorn settings of a node process: N stateless uvicorn workers.

Workers share nothing but the store and the configuration files, so their
number (WEB_CONCURRENCY) and the number of machines can grow freely; each
worker holds its own pool of at most SIMPUL_DB_POOL_SIZE database connections.
"""

import os

bind = os.environ.get("SIMPUL_BIND", "0.0.0.0:5000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "simpul.server.worker.Worker"
# A worker that stops answering (a stuck request) is replaced after this long;
# database statements end well before it (SIMPUL_DB_STATEMENT_TIMEOUT_MS).
timeout = int(os.environ.get("SIMPUL_WORKER_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
accesslog = "-"
errorlog = "-"
