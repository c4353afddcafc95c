"""WSGI entry point (gunicorn jobbtorg.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobbtorg.settings")
application = get_wsgi_application()
