"""Synthetic demo data for Jobbtorg: name lists, addresses, demo users and the loader.

Used only by `manage.py seed_demo` and `manage.py print_demo_logins`. Every
person it makes is invented; nothing here is read from a real register.
"""
