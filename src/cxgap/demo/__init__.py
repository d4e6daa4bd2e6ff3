"""A realistic, generated, bilingual sample workspace, so a newcomer sees every screen filled."""

from cxgap.demo.generator import DemoData, DemoSegment, generate_demo

__all__ = ["DemoData", "DemoSegment", "generate_demo"]
