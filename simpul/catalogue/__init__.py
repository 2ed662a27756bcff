"""The node's catalogue: one record per dataset in pycsw's repository.

Publishing writes the records (simpul.publish.records); CSW and the Records provider
read them through this package.
"""
