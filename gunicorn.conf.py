"""gunicorn settings for `make run` and production (`gunicorn -c gunicorn.conf.py jobbtorg.wsgi`).

The access log must carry no personal data (docs/operations.md, LEGAL.md): the search box and
the referral form's person look-up send a personnummer in the query string, and the Referer
header repeats it. gunicorn's default format logs the whole request line and the referer, so
this format logs the method and the *path* only (%(U)s, without the query string), the
status, size and time.
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
