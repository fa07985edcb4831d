"""Signing in: the sign-in pages, throttling, the second factor, and directory sign-in."""
