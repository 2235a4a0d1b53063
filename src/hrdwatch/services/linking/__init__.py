"""Person-name linking (issue 9): when two written names are one person.

Pure functions and data, no database: :mod:`keys` turns a name in any script into romanisation-folded
keys, :mod:`names` splits it into tokens (titles, nicknames, initials, patronymics), :mod:`similarity`
scores two names with reasons, :mod:`blocking` finds candidate pairs without comparing all pairs,
and :mod:`matcher` decides (auto / suggested / new) against thresholds the caller passes in.

Libraries: unidecode (any script to Latin) and rapidfuzz (Jaro-Winkler, LCS). Not splink: a
probabilistic model needs an estimation step over the whole database and gives weights, where each
link here must carry short reasons an analyst can check. Measured by ``benchmarks/linking.py``.
"""
