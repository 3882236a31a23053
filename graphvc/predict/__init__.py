"""Looking ahead: who is likely to be hurt (or to hurt) next, each method with a backtest.

:mod:`graphvc.predict.contagion` fits a network contagion (Hawkes) model of gun and knife
victimisation and scores each person's risk for the next period;
:mod:`graphvc.predict.backtest_contagion` scores it, beside simple baselines, against what
happened after a training date. The functions are plain (networkx style): tables and a
graph in, frames out; none speaks to Neo4j.
"""
