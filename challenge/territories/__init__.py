"""The territory referential (région, départements, EPCI, communes): loading it, finding communes,
naming territories, the additive tree published aggregates follow, and map outlines."""
