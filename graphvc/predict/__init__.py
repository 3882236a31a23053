"""Looking ahead: who is likely to be hurt (or to hurt) next, and who is likely to have
offended beside whom, each method with a backtest against simple baselines.

:mod:`graphvc.predict.contagion` fits a network contagion (Hawkes) model of gun and knife
victimisation and scores each person's risk for the next period;
:mod:`graphvc.predict.backtest_contagion` scores it, beside simple baselines, against what
happened after a training date. :mod:`graphvc.predict.co_offenders` proposes likely
co-offenders by a random walk with restart, and
:mod:`graphvc.predict.co_offender_backtest` scores it against common neighbours and
Adamic–Adar. The functions are plain (networkx style): tables and a graph in, frames out;
only :mod:`graphvc.predict.co_offender_reads` and the stores speak to Neo4j.
"""
