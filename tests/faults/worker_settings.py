"""Settings of the real `manage.py qcluster` the fault tests start: the test settings, with tasks queued for real.

The test database and the broker come from the environment the test gives the subprocess (DATABASE_URL,
Q_BROKER_URL); FAULTS_Q_CLUSTER names the queue so parallel runs on one Redis never take each other's tasks;
FAULTS_MAIL_SINK is the file the mail sink below appends every sent message to.
"""

from __future__ import annotations

import os

from config.settings_test import *  # noqa: F403
from config.settings_test import Q_CLUSTER

Q_CLUSTER = {**Q_CLUSTER, "sync": False, "cluster_name": os.environ["FAULTS_Q_CLUSTER"], "workers": 1}
MAILERS = {"default": {"BACKEND": "tests.faults.mailsink.SlowSinkBackend"}}
