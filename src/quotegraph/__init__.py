"""quotegraph: who said what, about whom, where and when."""
