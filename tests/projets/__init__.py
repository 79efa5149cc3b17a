"""Tests of the calls for projects (tet.projets)."""
