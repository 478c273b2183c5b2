// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IERC20Minimal} from "./IERC20Minimal.sol";

/// A GPU job market settled in a stablecoin.
///
/// Lifecycle: postJob (customer pays `amount` into the market, escrowed) -> startJob -> finishJob.
/// Settlement rule:
///   - Succeeded: provider receives amount - fee, fee = amount * feeBps / 10_000 (rounded down),
///     the fee stays in the market (feesAccrued) until the owner withdraws it.
///   - Failed, TimedOut, Cancelled: the customer is refunded the full amount, no fee, payout 0.
/// Who may act: the provider or the owner (the market operator) starts and finishes a job;
/// Succeeded needs a started job; Failed/TimedOut may end a job that never started;
/// the customer or the owner cancels a job that has not finished.
contract ComputeMarket {
    enum Status {
        None,
        Succeeded,
        Failed,
        TimedOut,
        Cancelled
    }

    enum State {
        None,
        Posted,
        Running,
        Finished
    }

    struct Job {
        address customer;
        address provider;
        uint256 amount;
        uint32 gpuCount;
        uint64 postedAt;
        uint64 startedAt;
        uint64 finishedAt;
        State state;
        Status status;
    }

    IERC20Minimal public immutable stablecoin;
    uint16 public immutable feeBps;
    address public owner;
    uint256 public feesAccrued;

    mapping(bytes32 => Job) public jobs;

    event JobPosted(
        bytes32 indexed jobId,
        address indexed customer,
        address indexed provider,
        uint256 amount,
        uint32 gpuCount,
        string gpuModel
    );
    event JobStarted(bytes32 indexed jobId, uint64 startedAt);
    event JobFinished(bytes32 indexed jobId, address indexed provider, uint256 payout, uint8 status);
    event FeesWithdrawn(address indexed to, uint256 amount);

    error NotOwner();
    error NotAllowed();
    error BadState(State state);
    error BadStatus(uint8 status);
    error JobExists();
    error InvalidJob();
    error TransferFailed();

    constructor(IERC20Minimal stablecoin_, uint16 feeBps_) {
        if (feeBps_ > 10_000) revert InvalidJob();
        stablecoin = stablecoin_;
        feeBps = feeBps_;
        owner = msg.sender;
    }

    function postJob(
        bytes32 jobId,
        address provider,
        uint256 amount,
        uint32 gpuCount,
        string calldata gpuModel
    ) external {
        if (jobs[jobId].state != State.None) revert JobExists();
        if (provider == address(0) || amount == 0 || gpuCount == 0) revert InvalidJob();
        jobs[jobId] = Job({
            customer: msg.sender,
            provider: provider,
            amount: amount,
            gpuCount: gpuCount,
            postedAt: uint64(block.timestamp),
            startedAt: 0,
            finishedAt: 0,
            state: State.Posted,
            status: Status.None
        });
        if (!stablecoin.transferFrom(msg.sender, address(this), amount)) revert TransferFailed();
        emit JobPosted(jobId, msg.sender, provider, amount, gpuCount, gpuModel);
    }

    function startJob(bytes32 jobId) external {
        Job storage job = jobs[jobId];
        if (msg.sender != job.provider && msg.sender != owner) revert NotAllowed();
        if (job.state != State.Posted) revert BadState(job.state);
        job.state = State.Running;
        job.startedAt = uint64(block.timestamp);
        emit JobStarted(jobId, job.startedAt);
    }

    /// status: 1 Succeeded, 2 Failed, 3 TimedOut (Cancelled goes through cancelJob).
    function finishJob(bytes32 jobId, uint8 status) external {
        Job storage job = jobs[jobId];
        if (msg.sender != job.provider && msg.sender != owner) revert NotAllowed();
        if (status == uint8(Status.Succeeded)) {
            if (job.state != State.Running) revert BadState(job.state);
        } else if (status == uint8(Status.Failed) || status == uint8(Status.TimedOut)) {
            if (job.state != State.Posted && job.state != State.Running) revert BadState(job.state);
        } else {
            revert BadStatus(status);
        }
        _settle(jobId, job, Status(status));
    }

    function cancelJob(bytes32 jobId) external {
        Job storage job = jobs[jobId];
        if (msg.sender != job.customer && msg.sender != owner) revert NotAllowed();
        if (job.state != State.Posted && job.state != State.Running) revert BadState(job.state);
        _settle(jobId, job, Status.Cancelled);
    }

    function withdrawFees(address to) external {
        if (msg.sender != owner) revert NotOwner();
        uint256 amount = feesAccrued;
        feesAccrued = 0;
        if (!stablecoin.transfer(to, amount)) revert TransferFailed();
        emit FeesWithdrawn(to, amount);
    }

    function feeFor(uint256 amount) public view returns (uint256) {
        return (amount * feeBps) / 10_000;
    }

    function _settle(bytes32 jobId, Job storage job, Status status) private {
        job.state = State.Finished;
        job.status = status;
        job.finishedAt = uint64(block.timestamp);
        uint256 payout = 0;
        if (status == Status.Succeeded) {
            uint256 fee = feeFor(job.amount);
            payout = job.amount - fee;
            feesAccrued += fee;
            if (!stablecoin.transfer(job.provider, payout)) revert TransferFailed();
        } else {
            if (!stablecoin.transfer(job.customer, job.amount)) revert TransferFailed();
        }
        emit JobFinished(jobId, job.provider, payout, uint8(status));
    }
}
