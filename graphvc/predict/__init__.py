"""Looking ahead: predictive measures on the graph, each with a backtest against simple
baselines (contagion risk, likely co-offenders)."""
