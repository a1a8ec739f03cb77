//! Configuration: read once, validated into typed values.
