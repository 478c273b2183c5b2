// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Benchmark helper: emits many ERC-20-shaped Transfer events in one transaction, so an indexer
/// can be fed tens of thousands of logs in a few blocks. Not a token: no balances are kept.
contract LogSpammer {
    event Transfer(address indexed from, address indexed to, uint256 value);

    /// Emits `count` Transfers from the caller to address(first + i) of value first + i, i = 0..count-1.
    function spam(uint256 count, uint256 first) external {
        for (uint256 i = 0; i < count; i++) {
            emit Transfer(msg.sender, address(uint160(first + i)), first + i);
        }
    }
}
