"""Loaders: the embedded national dataset and users' own files, validated row by row."""

from .dataset import load_dataset, load_national, read_dataset

__all__ = ["load_dataset", "load_national", "read_dataset"]
