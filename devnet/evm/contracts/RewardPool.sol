// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IERC20Minimal} from "./IERC20Minimal.sol";

/// Daily emission of the reward token to operators. The pool must be a minter of the token:
/// each distribution mints straight to the operators (one Transfer from address(0) each),
/// at most `dailyEmission` per day, and each day only once.
contract RewardPool {
    IERC20Minimal public immutable token;
    uint256 public dailyEmission;
    address public owner;

    mapping(uint64 => uint256) public distributedOn;
    mapping(uint64 => bool) public dayDone;

    event RewardsDistributed(uint64 indexed day, uint256 total, uint256 operatorCount);
    event DailyEmissionSet(uint256 dailyEmission);

    error NotOwner();
    error LengthMismatch();
    error DayAlreadyDistributed(uint64 day);
    error OverEmission(uint256 total, uint256 dailyEmission);

    constructor(IERC20Minimal token_, uint256 dailyEmission_) {
        token = token_;
        dailyEmission = dailyEmission_;
        owner = msg.sender;
        emit DailyEmissionSet(dailyEmission_);
    }

    function setDailyEmission(uint256 dailyEmission_) external {
        if (msg.sender != owner) revert NotOwner();
        dailyEmission = dailyEmission_;
        emit DailyEmissionSet(dailyEmission_);
    }

    /// day: days since the Unix epoch the rewards are for (chosen by the caller).
    function distribute(uint64 day, address[] calldata operators, uint256[] calldata amounts) external {
        if (msg.sender != owner) revert NotOwner();
        if (operators.length != amounts.length) revert LengthMismatch();
        if (dayDone[day]) revert DayAlreadyDistributed(day);
        uint256 total = 0;
        for (uint256 i = 0; i < amounts.length; i++) {
            total += amounts[i];
        }
        if (total > dailyEmission) revert OverEmission(total, dailyEmission);
        dayDone[day] = true;
        distributedOn[day] = total;
        for (uint256 i = 0; i < operators.length; i++) {
            token.mint(operators[i], amounts[i]);
        }
        emit RewardsDistributed(day, total, operators.length);
    }
}
