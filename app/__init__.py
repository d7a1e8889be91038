"""Kindred: an anonymous peer-support forum for people in mental-health recovery."""
