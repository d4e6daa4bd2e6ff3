"""SLAs on business hours and service credits, pure: values in, values out (``docs/sla.md``).

``calendar`` does the business-time arithmetic, ``policy`` picks a case's targets, ``clock`` and
``evaluation`` measure a case's metrics, ``credits`` turns a month of them and the availability
incidents into service credits; ``reading``/``documents`` read the JSON documents and ``report``
writes the contract's JSON.
"""
