"""airloop: LLM agents that plan, optimise and verify wireless-network configuration on a local simulator."""

__version__ = "0.1.0"
